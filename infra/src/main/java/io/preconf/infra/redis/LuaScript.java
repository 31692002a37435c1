package io.preconf.infra.redis;

import io.preconf.core.types.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A Lua script from the class path and its SHA-1, the name EVALSHA knows it by. */
record LuaScript(String name, String source, String sha1) {

  static LuaScript load(String name) {
    String resource = name + ".lua";
    try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Lua script " + resource + " is not on the class path");
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(name, source, Hex.encode(digest).substring(2));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
