/**
 * What each source runs: the pushdown phase that, before cost-based planning, turns every
 * maximal single-source subtree the source can express into one remote statement, and the
 * rules that push more into a statement during cost-based planning.
 */
package dev.junction.planner.pushdown;
