package io.preconf.infra.redis.snapshot;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A CRaC implementation in the shape the Lambda runtime gives its own ({@code
 * com.amazonaws.services.lambda.crac}, named to {@code org.crac} by the system property {@code
 * org.crac.Core.Compat}): one global context that holds its resources weakly, calls them before a
 * snapshot in reverse order of registration and after a restore in order. Here a restore resumes
 * the same process, which is what a restored environment sees of it.
 */
public final class Core {
  private static final Global GLOBAL = new Global();

  private Core() {}

  public static Context<Resource> getGlobalContext() {
    return GLOBAL;
  }

  public static void checkpointRestore() throws CheckpointException, RestoreException {
    try {
      GLOBAL.beforeCheckpoint(null);
    } catch (Exception e) {
      CheckpointException failed = new CheckpointException();
      failed.addSuppressed(e);
      throw failed;
    }
    try {
      GLOBAL.afterRestore(null);
    } catch (Exception e) {
      RestoreException failed = new RestoreException();
      failed.addSuppressed(e);
      throw failed;
    }
  }

  private static final class Global extends Context<Resource> {
    private final List<WeakReference<Resource>> registered = new ArrayList<>();

    @Override
    public synchronized void register(Resource resource) {
      registered.add(new WeakReference<>(resource));
    }

    @Override
    public synchronized void beforeCheckpoint(Context<? extends Resource> context)
        throws Exception {
      List<Resource> reversed = live();
      Collections.reverse(reversed);
      for (Resource r : reversed) {
        r.beforeCheckpoint(this);
      }
    }

    @Override
    public synchronized void afterRestore(Context<? extends Resource> context) throws Exception {
      for (Resource r : live()) {
        r.afterRestore(this);
      }
    }

    /** The registered resources still reachable elsewhere, in order of registration. */
    private List<Resource> live() {
      List<Resource> live = new ArrayList<>();
      for (WeakReference<Resource> ref : registered) {
        Resource r = ref.get();
        if (r != null) {
          live.add(r);
        }
      }
      return live;
    }
  }
}
