package dev.plimsoll.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.plimsoll.server.internal.ConfigKeys;
import dev.plimsoll.server.internal.ConfigValues;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's settings: defaults, then one YAML file, then {@code PLIMSOLL_*} environment
 * variables (see {@link ConfigKey#envName()}), then command-line flags. Every value is checked when
 * it is set; {@link Builder#build()} checks the rules between settings. Errors are {@link
 * ConfigException}s naming the key, where the value came from and what is allowed.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.load(Path.of("plimsoll.yaml"), System.getenv());
 * ServerConfig test = ServerConfig.builder().set("server.port", "0").set("store.kind", "memory").build();
 * }</pre>
 */
public final class ServerConfig {
  private final Map<String, Object> values;
  private final List<TokenGrant> tokens;

  private ServerConfig(Map<String, Object> values, List<TokenGrant> tokens) {
    this.values = Map.copyOf(values);
    this.tokens = List.copyOf(tokens);
  }

  /** Every setting the server knows, in documentation order. */
  public static List<ConfigKey> keys() {
    return ConfigKeys.all();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All defaults: loopback, port 7280, SQLite under {@code ./plimsoll-data}, no tokens. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  /**
   * Reads {@code file} (may be null: defaults only), then applies the {@code PLIMSOLL_*} entries of
   * {@code env}.
   */
  public static ServerConfig load(Path file, Map<String, String> env) {
    Builder b = builder();
    if (file != null) {
      b.yaml(file);
    }
    b.env(env);
    return b.build();
  }

  public String string(String key) {
    return (String) value(key);
  }

  public long number(String key) {
    return (Long) value(key);
  }

  public int integer(String key) {
    return Math.toIntExact(number(key));
  }

  public double decimal(String key) {
    return (Double) value(key);
  }

  public boolean flag(String key) {
    return (Boolean) value(key);
  }

  public Duration duration(String key) {
    return (Duration) value(key);
  }

  /** The configured tokens; empty means no authentication (loopback only). */
  public List<TokenGrant> tokens() {
    return tokens;
  }

  private Object value(String key) {
    Object v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("unknown setting " + key);
    }
    return v;
  }

  /** Collects settings; each {@code set} is checked at once. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new HashMap<>();
    private final List<TokenGrant> tokens = new ArrayList<>();

    private Builder() {
      for (ConfigKey k : ConfigKeys.all()) {
        if (!k.key().equals(ConfigKeys.TOKENS)) {
          values.put(k.key(), ConfigValues.parse(k, k.defaultValue(), "default"));
        }
      }
    }

    /** Sets {@code key} from its text form, as it would be written in YAML. */
    public Builder set(String key, String text) {
      return set(key, text, "code");
    }

    /** Sets {@code key}; {@code source} (e.g. {@code --port}) is named in errors. */
    public Builder set(String key, String text, String source) {
      ConfigKey k = ConfigKeys.get(key);
      if (k == null || key.equals(ConfigKeys.TOKENS)) {
        throw new ConfigException(key, "is not a known setting (from " + source + ")");
      }
      if (text == null) {
        throw new ConfigException(key, "must have a value (from " + source + ")");
      }
      values.put(key, ConfigValues.parse(k, text, source));
      sources.put(key, source);
      return this;
    }

    /** Adds a token. */
    public Builder token(String token, String tenant, Role role) {
      return token(token, tenant, role, "code");
    }

    private Builder token(String token, String tenant, Role role, String source) {
      try {
        tokens.add(new TokenGrant(token, tenant, role));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ConfigKeys.TOKENS, e.getMessage() + " (from " + source + ")");
      }
      return this;
    }

    /** Applies a YAML file: nested maps whose leaf paths are the keys. */
    public Builder yaml(Path file) {
      JsonNode root;
      try {
        YAMLMapper mapper = new YAMLMapper();
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        root = mapper.readTree(Files.readString(file));
      } catch (IOException e) {
        throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage());
      }
      if (root == null || root.isMissingNode() || root.isNull()) {
        return this;
      }
      if (!root.isObject()) {
        throw new ConfigException("config", file + " must be a map of settings");
      }
      walk("", root, "file " + file);
      return this;
    }

    private void walk(String prefix, JsonNode node, String source) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        JsonNode v = e.getValue();
        if (key.equals(ConfigKeys.TOKENS)) {
          yamlTokens(v, source);
        } else if (v.isObject()) {
          walk(key, v, source);
        } else if (v.isValueNode() && v.getNodeType() != JsonNodeType.NULL) {
          set(key, v.asText(), source);
        } else {
          throw new ConfigException(
              key, "must be a single value, got " + v.getNodeType() + " (from " + source + ")");
        }
      }
    }

    private void yamlTokens(JsonNode list, String source) {
      if (!list.isArray()) {
        throw new ConfigException(
            ConfigKeys.TOKENS, "must be a list of {token, tenant, role} (from " + source + ")");
      }
      for (JsonNode t : list) {
        Set<String> names = new HashSet<>();
        t.fieldNames().forEachRemaining(names::add);
        if (!t.isObject() || !Set.of("token", "tenant", "role").equals(names)) {
          throw new ConfigException(
              ConfigKeys.TOKENS,
              "each entry must have exactly token, tenant and role (from " + source + ")");
        }
        token(t.get("token").asText(), t.get("tenant").asText(), role(t, source), source);
      }
    }

    private static Role role(JsonNode t, String source) {
      try {
        return Role.parse(t.get("role").asText());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ConfigKeys.TOKENS, e.getMessage() + " (from " + source + ")");
      }
    }

    /**
     * Applies {@code PLIMSOLL_*} variables of known keys; {@code PLIMSOLL_AUTH_TOKENS} holds {@code
     * token:tenant:role} entries separated by commas and replaces the file's tokens.
     */
    public Builder env(Map<String, String> env) {
      for (ConfigKey k : ConfigKeys.all()) {
        String v = env.get(k.envName());
        if (v == null) {
          continue;
        }
        String source = "env " + k.envName();
        if (k.key().equals(ConfigKeys.TOKENS)) {
          tokens.clear();
          for (String entry : v.split(",")) {
            if (entry.isBlank()) {
              continue;
            }
            String[] parts = entry.trim().split(":");
            if (parts.length != 3) {
              throw new ConfigException(
                  ConfigKeys.TOKENS, "entries must be token:tenant:role (from " + source + ")");
            }
            Role role;
            try {
              role = Role.parse(parts[2]);
            } catch (IllegalArgumentException e) {
              throw new ConfigException(
                  ConfigKeys.TOKENS, e.getMessage() + " (from " + source + ")");
            }
            token(parts[0], parts[1], role, source);
          }
        } else {
          set(k.key(), v, source);
        }
      }
      return this;
    }

    /** Checks the rules between settings and freezes the config. */
    public ServerConfig build() {
      Set<String> seen = new HashSet<>();
      for (TokenGrant t : tokens) {
        if (!seen.add(t.token())) {
          throw new ConfigException(
              ConfigKeys.TOKENS, "the same token is listed twice (tenant " + t.tenant() + ")");
        }
      }
      String host = (String) values.get(ConfigKeys.HOST);
      if (tokens.isEmpty() && !isLoopback(host)) {
        throw new ConfigException(
            ConfigKeys.HOST,
            "refusing to bind to '"
                + host
                + "' without auth.tokens: anyone who can reach it could run commands. Configure"
                + " auth.tokens (or PLIMSOLL_AUTH_TOKENS), or bind to 127.0.0.1");
      }
      Duration initial = (Duration) values.get(ConfigKeys.BACKOFF_INITIAL);
      Duration max = (Duration) values.get(ConfigKeys.BACKOFF_MAX);
      if (max.compareTo(initial) < 0) {
        throw new ConfigException(
            ConfigKeys.BACKOFF_MAX,
            "must be at least engine.backoff.initial (" + initial + "), got " + max);
      }
      long window = (Long) values.get(ConfigKeys.BREAKER_WINDOW);
      long min = (Long) values.get(ConfigKeys.BREAKER_MIN);
      if (min > window) {
        throw new ConfigException(
            ConfigKeys.BREAKER_MIN,
            "must be at most engine.breaker.window (" + window + "), got " + min);
      }
      double shed = (Double) values.get(ConfigKeys.WATCHDOG_SHED);
      for (String below : List.of(ConfigKeys.WATCHDOG_WARN, ConfigKeys.WATCHDOG_RESUME)) {
        double v = (Double) values.get(below);
        if (v > shed) {
          throw new ConfigException(
              below, "must be at most watchdog.shedFraction (" + shed + "), got " + v);
        }
      }
      String kind = (String) values.get(ConfigKeys.STORE_KIND);
      if (kind.equals("postgres") && ((String) values.get(ConfigKeys.STORE_URL)).isEmpty()) {
        throw new ConfigException(
            ConfigKeys.STORE_URL, "is required for store.kind postgres (jdbc:postgresql://...)");
      }
      typeConcurrency((String) values.get(ConfigKeys.TYPE_CONCURRENCY));
      dev.plimsoll.server.internal.HostPolicy.parse(
          ConfigKeys.HTTP_ALLOWED_HOSTS, (String) values.get(ConfigKeys.HTTP_ALLOWED_HOSTS));
      return new ServerConfig(values, tokens);
    }

    private static boolean isLoopback(String host) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        throw new ConfigException(ConfigKeys.HOST, "cannot resolve '" + host + "'");
      }
    }
  }

  /** Parses {@code type=n,type=n}; checked at build. */
  public static Map<String, Integer> typeConcurrency(String text) {
    Map<String, Integer> m = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return m;
    }
    for (String part : text.split(",")) {
      String[] kv = part.trim().split("=");
      int n;
      try {
        n = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : -1;
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > 10_000 || !kv[0].trim().matches("[A-Za-z0-9._:-]{1,128}")) {
        throw new ConfigException(
            ConfigKeys.TYPE_CONCURRENCY,
            "entries must be type=limit with a limit of 1 to 10000, got '" + part.trim() + "'");
      }
      m.put(kv[0].trim(), n);
    }
    return m;
  }
}
