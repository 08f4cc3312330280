package dev.loggardener.fingerprint;

import java.io.Serializable;

/**
 * The identity of a problem: entries with the same id are one cluster.
 *
 * @param id 16 hex characters, stable across processes, machines and releases of the same {@code
 *     version}
 * @param template the masked message the id was computed from
 * @param version the algorithm that made it; ids from different versions never collide
 */
public record Fingerprint(String id, String template, int version) implements Serializable {}
