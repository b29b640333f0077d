/**
 * The socket transport: Linux's epoll when it loads, NIO elsewhere, and the socket options that
 * differ between them. Depends on nothing of Porter's.
 */
package dev.porter.transport;
