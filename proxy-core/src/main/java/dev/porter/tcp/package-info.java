/**
 * The kernel's view of Porter's sockets: {@code /proc/net/tcp} read, sorted into the client leg
 * and one leg per upstream server, counted by TCP state, with the local ports held against the
 * ephemeral port range (what {@code ss -ant} shows in the incident write-ups). Depends on nothing
 * of Porter's; read off the event loops.
 */
package dev.porter.tcp;
