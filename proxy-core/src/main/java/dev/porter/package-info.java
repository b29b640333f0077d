/**
 * Porter's API: {@link dev.porter.Porter} starts the workers and binds the listeners from a
 * {@link dev.porter.config.ProxyConfig}, reloads a new configuration, gathers the workers'
 * counters into snapshots and shuts down. The top of proxy-core: it wires every package below;
 * {@code proxy-server} and {@code proxy-bench} use this package with {@code config},
 * {@code metrics}, {@code observe} and {@code tcp}, and nothing else of proxy-core.
 */
package dev.porter;
