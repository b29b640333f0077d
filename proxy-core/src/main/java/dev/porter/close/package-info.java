/**
 * Closing: who sends the first FIN (and so holds TIME_WAIT) on each leg, whether an upstream
 * connection may go back to its pool, the limits on a connection's life, the port budget guard,
 * and the reasons and sides closes are counted by. Mostly pure decisions; the client close
 * policy also carries them out on the channel.
 */
package dev.porter.close;
