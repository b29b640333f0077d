/**
 * The admin listener: {@code GET /status}, {@code GET /metrics} (its meters gathered at each
 * scrape, on the admin-tasks thread), {@code POST /reload}.
 */
package dev.porter.admin;
