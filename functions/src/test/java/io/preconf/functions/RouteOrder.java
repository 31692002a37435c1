package io.preconf.functions;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/** Which route of the router a request takes. */
final class RouteOrder {
  private RouteOrder() {}

  /**
   * The path of the first route, in the router's order, whose path takes {@code POST path}: a
   * function's own route when it is ahead of Funqy's catch-all route for every function.
   */
  static String firstPostRouteFor(Router router, String path) {
    Route first =
        router.getRoutes().stream()
            .filter(r -> r.getPath() != null && !r.isRegexPath())
            .filter(r -> r.methods() == null || r.methods().contains(HttpMethod.POST))
            .filter(r -> r.isExactPath() ? r.getPath().equals(path) : path.startsWith(r.getPath()))
            .findFirst()
            .orElseThrow();
    return first.getPath();
  }
}
