package dev.plimsoll;

/** An open scope and how many of its tasks are queued or running. */
public record ScopeInfo(String name, int activeTasks) {}
