/**
 * Where TIME_WAIT lands over time: samples of the kernel's socket table, classified by leg and
 * by side.
 */
package dev.porter.bench.tcp;
