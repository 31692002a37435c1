package io.preconf.core.port;

/** Wall-clock time in unix milliseconds. A port so that tests can move time. */
@FunctionalInterface
public interface Clock {
  Clock SYSTEM = System::currentTimeMillis;

  long nowMillis();
}
