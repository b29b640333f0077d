/**
 * The backends the bench loads: an embedded Tomcat with fixed and held bodies, and a static
 * origin.
 */
package dev.porter.bench.backend;
