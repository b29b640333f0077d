/**
 * JMH microbenchmarks of the request path's hot pieces ({@code porter-bench micro}): head parsing
 * and writing the head sent upstream, time and bytes allocated per operation. Unlike the rest of
 * the bench, they use Porter's internals directly; they run in JVMs that JMH forks.
 */
package dev.porter.bench.micro;
