/** Real database servers for integration tests: containers when Docker runs, else local. */
package dev.junction.testing;
