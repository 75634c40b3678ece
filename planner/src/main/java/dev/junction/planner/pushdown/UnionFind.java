package dev.junction.planner.pushdown;

/**
 * Disjoint sets over 0..n-1 (union by root, path halving): the equivalence classes of
 * columns that join conditions make equal, for same-source grouping and implied join keys.
 */
public final class UnionFind {
  private final int[] parent;

  /** {@code n} singleton sets. */
  public UnionFind(int n) {
    parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
  }

  /** The representative of {@code x}'s set. */
  public int find(int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  /** Merges the sets of {@code a} and {@code b}. */
  public void union(int a, int b) {
    parent[find(a)] = find(b);
  }
}
