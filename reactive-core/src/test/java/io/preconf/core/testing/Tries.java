package io.preconf.core.testing;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property on inputs drawn from a fixed seed, so every run checks the same inputs and a
 * failure reproduces by running the test again.
 *
 * <p>Try {@code i} draws its input from its own {@link SplittableRandom}, seeded with the {@code
 * i}-th {@code nextLong()} of {@code new SplittableRandom(seed)}. A failure names the property
 * seed, the try, that try's seed and the input, so the input can also be rebuilt alone, with {@code
 * generator.apply(new SplittableRandom(trySeed))}, or pasted into an example test.
 */
public final class Tries {
  private Tries() {}

  /**
   * Checks {@code property} on {@code tries} inputs from {@code generator}.
   *
   * @param show how a failing input is printed; byte strings as hex
   * @throws AssertionError on the first try whose generator or check fails or throws
   */
  public static <T> void forAll(
      long seed,
      int tries,
      Function<SplittableRandom, T> generator,
      Function<? super T, String> show,
      Consumer<? super T> property) {
    SplittableRandom seeds = new SplittableRandom(seed);
    for (int i = 0; i < tries; i++) {
      long trySeed = seeds.nextLong();
      String where =
          String.format("try %d of %d (seed 0x%xL, try seed 0x%xL)", i, tries, seed, trySeed);
      T input;
      try {
        input = generator.apply(new SplittableRandom(trySeed));
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("generator failed at " + where + ": " + e, e);
      }
      try {
        property.accept(input);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError(
            "property failed at " + where + "\ninput: " + show.apply(input) + "\n" + e, e);
      }
    }
  }
}
