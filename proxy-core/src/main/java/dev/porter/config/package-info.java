/**
 * The configuration: HOCON (defaults in {@code reference.conf}) read once, off the event loops,
 * into immutable records; every problem reported with its file and line. Builders make a
 * configuration without HOCON text (tests, the bench). Depends on nothing of Porter's but
 * {@link dev.porter.pki}, to check certificates and keys when they load.
 */
package dev.porter.config;
