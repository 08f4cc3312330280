package dev.loggardener.priority;

import java.io.Serializable;

/**
 * A cluster's priority and what to do about it.
 *
 * @param rule the name of the rule that matched, or "severity" for the fallback
 * @param basePriority the priority before escalation by count
 * @param escalations how many levels the window's count raised it
 * @param spikes the spike thresholds that apply: the rule's, else the file's
 * @param ignore a rule said never to open an issue for it
 * @param owner the rule's owner, or null
 */
public record Classification(
    Priority priority,
    Category category,
    String impact,
    String action,
    String rule,
    Priority basePriority,
    int escalations,
    Rules.Spikes spikes,
    boolean ignore,
    String owner)
    implements Serializable {}
