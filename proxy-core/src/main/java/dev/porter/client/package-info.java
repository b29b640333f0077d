/**
 * Who a request came from: the client's address and the hop that connected, from the socket, a
 * PROXY protocol header or a trusted peer's header (nginx's realip). Immutable values, used by
 * the limits, the forwarding headers and the access log.
 */
package dev.porter.client;
