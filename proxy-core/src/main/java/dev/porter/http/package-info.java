/**
 * HTTP/1.1 on the wire, as pure functions on buffers: parsing a message head once from the bytes
 * (strictly, so that no two parsers frame it differently), framing and scanning bodies, writing
 * the heads Porter sends and its own error responses. Never touches a channel.
 */
package dev.porter.http;
