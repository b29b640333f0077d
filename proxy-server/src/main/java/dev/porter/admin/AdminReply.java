package dev.porter.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What an admin request is answered with, before it becomes a Netty response on the event
 * loop. Holds no buffer, so it can be built on any thread and dropped without a leak.
 *
 * @param allow the Allow header of a 405 (RFC 9110 §15.5.6 requires it), else null
 */
record AdminReply(HttpResponseStatus status, String contentType, String body, String allow) {
}
