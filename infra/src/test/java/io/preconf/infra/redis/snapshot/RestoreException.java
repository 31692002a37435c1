package io.preconf.infra.redis.snapshot;

public class RestoreException extends Exception {}
