package io.preconf.functions;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URL;

/** A function called over HTTP as a client would: {@code POST /<name>} with a JSON body. */
final class FunctionCall {
  private FunctionCall() {}

  /** Calls {@code function} on the application at {@code url}; expects HTTP 200. */
  static JsonPath post(URL url, String function, Object body) {
    return given()
        .port(url.getPort())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/" + function)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
