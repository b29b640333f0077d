/**
 * The admin listener: {@code GET /status}, {@code GET /metrics}, {@code POST /reload}, and the
 * refresh of the meters from snapshots on the admin thread.
 */
package dev.porter.admin;
