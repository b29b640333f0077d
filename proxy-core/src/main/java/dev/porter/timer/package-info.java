/**
 * The one deadline a connection has at a time, on its event loop's timer and ticker (so that
 * {@code EmbeddedChannel} time drives it in tests). Depends on nothing of Porter's.
 */
package dev.porter.timer;
