/**
 * The results: records written as JSON, the console table and the charts.
 */
package dev.porter.bench.report;
