/**
 * The {@code porter} command ({@code run}, {@code check}, {@code demo}) and the process around a
 * {@link dev.porter.Porter}: logging and the access log, reload on SIGHUP, graceful shutdown,
 * exit codes. No proxy logic.
 */
package dev.porter.cli;
