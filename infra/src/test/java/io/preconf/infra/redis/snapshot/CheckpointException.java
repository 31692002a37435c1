package io.preconf.infra.redis.snapshot;

public class CheckpointException extends Exception {}
