/**
 * The workers' counters, written and read on their own event loop, and the immutable snapshots
 * they are read out as ({@link dev.porter.metrics.StatusSnapshot}); pool sizing advice from
 * those snapshots. No registry: {@link dev.porter.observe} turns snapshots into meters.
 */
package dev.porter.metrics;
