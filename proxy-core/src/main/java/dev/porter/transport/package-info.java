/**
 * The socket transport: Linux's io_uring or epoll when they load, NIO elsewhere, and the socket options that
 * differ between them. Depends on nothing of Porter's.
 */
package dev.porter.transport;
