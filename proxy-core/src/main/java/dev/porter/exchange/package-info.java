/**
 * One request's way from the client connection to an upstream server and back: the attempts and
 * retries, the replay buffer of the request body, the response relay, the access log. Talks to
 * the client connection through a narrow interface, never to its handlers.
 */
package dev.porter.exchange;
