package dev.loggardener.priority;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a YAML document's keys against the records it binds to, before binding: an unknown key or
 * a missing required one is reported at its own line. (Jackson reports those for records only after
 * the constructor ran, and then at the end of the object.) The known keys are the records'
 * components, found by reflection, so there is no second list to keep in step.
 */
final class KeyCheck {
  private KeyCheck() {}

  /** Walks the whole document; returns silently when every key is known and present. */
  static void check(JsonParser p, Class<?> root, String source) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return; // not a mapping: binding reports it
    }
    object(p, root, source, "");
  }

  private static void object(JsonParser p, Class<?> type, String source, String path)
      throws IOException {
    JsonLocation start = p.currentTokenLocation();
    Set<String> seen = new HashSet<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      RecordComponent c = component(type, key);
      String at = path.isEmpty() ? key : path + "." + key;
      if (c == null) {
        throw new Rules.RulesException(
            where(source, p.currentTokenLocation())
                + (path.isEmpty() ? "" : path + ": ")
                + "unknown key \""
                + key
                + "\" (known: "
                + String.join(", ", names(type))
                + ")");
      }
      seen.add(key);
      p.nextToken();
      value(p, c.getGenericType(), source, at);
    }
    if (t != JsonToken.END_OBJECT) {
      return;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      if (required(type, c) && !seen.contains(c.getName())) {
        throw new Rules.RulesException(
            where(source, start)
                + (path.isEmpty() ? "" : path + ": ")
                + "missing key \""
                + c.getName()
                + "\"");
      }
    }
  }

  private static void value(JsonParser p, Type type, String source, String path)
      throws IOException {
    JsonToken t = p.currentToken();
    Class<?> raw = raw(type);
    if (t == JsonToken.START_OBJECT && raw != null && raw.isRecord() && hasObjectShape(raw)) {
      object(p, raw, source, path);
    } else if (t == JsonToken.START_ARRAY && raw == List.class) {
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY && p.currentToken() != null) {
        value(p, element, source, path + "[" + i++ + "]");
      }
    } else {
      p.skipChildren();
    }
  }

  /** Records that bind from a scalar (a regex, a severity) have no keys to check. */
  private static boolean hasObjectShape(Class<?> c) {
    return c.getRecordComponents().length > 1 || c.getEnclosingClass() == Rules.class;
  }

  private static RecordComponent component(Class<?> type, String name) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getName().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static List<String> names(Class<?> type) {
    Set<String> s = new TreeSet<>();
    for (RecordComponent c : type.getRecordComponents()) {
      s.add(c.getName());
    }
    return new ArrayList<>(s);
  }

  private static boolean required(Class<?> type, RecordComponent c) {
    try {
      JsonProperty jp = type.getDeclaredField(c.getName()).getAnnotation(JsonProperty.class);
      return jp != null && jp.required();
    } catch (NoSuchFieldException e) {
      return false;
    }
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> c) {
      return c;
    }
    return null;
  }

  private static String where(String source, JsonLocation loc) {
    return source + ":" + loc.getLineNr() + ":" + loc.getColumnNr() + ": ";
  }
}
