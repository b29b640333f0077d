/**
 * The demo backend: an embedded Tomcat with a small servlet app, started by {@code porter demo}
 * behind Porter.
 */
package dev.porter.demo;
