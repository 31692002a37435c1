# How the deployment talks to the application: ports, and the environment variables the
# code reads. Quarkus maps environment variables onto its configuration (SmallRye:
# quarkus.redis.hosts <- QUARKUS_REDIS_HOSTS), the PRECONF_* names are the engine's own.
# If the code renames a setting, change it here and nowhere else.

locals {
  feed_port     = 8080
  redis_port    = 6379
  postgres_port = 5432

  feed_path        = "/feed"
  feed_health_path = "/q/health/ready"

  env = {
    funqy_export       = "QUARKUS_FUNQY_EXPORT"
    migrate_at_start   = "QUARKUS_FLYWAY_MIGRATE_AT_START"
    redis_hosts        = "QUARKUS_REDIS_HOSTS"
    redis_password     = "QUARKUS_REDIS_PASSWORD"
    redis_secret       = "PRECONF_REDIS_PASSWORD_SECRET_ARN"
    redis_secret_stamp = "PRECONF_REDIS_PASSWORD_VERSION"
    db_reactive_url    = "QUARKUS_DATASOURCE_REACTIVE_URL"
    db_reactive_ssl    = "QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE"
    db_jdbc_url        = "QUARKUS_DATASOURCE_JDBC_URL"
    db_username        = "QUARKUS_DATASOURCE_USERNAME"
    db_password_secret = "PRECONF_DATASOURCE_PASSWORD_SECRET_ARN"
    db_credentials     = "QUARKUS_DATASOURCE_CREDENTIALS_PROVIDER"
    db_cache_prepared  = "QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS"
    rollups            = "PRECONF_ROLLUPS_JSON"

    signer_private_key_secret = "PRECONF_SIGNER_PRIVATE_KEY_SECRET_ARN"
    signer_pq_seed_secret     = "PRECONF_SIGNER_PQ_SEED_SECRET_ARN"
    signer_key_generation     = "PRECONF_SIGNER_KEY_GENERATION"
    signer_address            = "PRECONF_SIGNER_ADDRESS"
    signer_pq_public_key      = "PRECONF_SIGNER_PQ_PUBLIC_KEY_SECRET_ARN"
  }

  redis_url = "rediss://${aws_elasticache_replication_group.redis.primary_endpoint_address}:${local.redis_port}"

  # Both URLs point at the proxy, which only accepts TLS. Its certificate comes from ACM and
  # chains to the Amazon roots in the JDK trust store: JDBC (migrations) verifies it through
  # the JDK trust store. The reactive client is set to `require` (encrypted, unverified):
  # Vert.x needs explicit trust options for verify-full, which belong in the application's
  # configuration; once they are there, set this to verify-full.
  db_reactive_url = "postgresql://${aws_db_proxy.aurora.endpoint}:${local.postgres_port}/${var.db_name}"
  db_jdbc_url     = "jdbc:postgresql://${aws_db_proxy.aurora.endpoint}:${local.postgres_port}/${var.db_name}?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory"

  # Every Lambda (and the migrate step) gets these. QUARKUS_DATASOURCE_PASSWORD is not set:
  # RDS rotates the master password, so the code reads the current one from the secret named
  # by PRECONF_DATASOURCE_PASSWORD_SECRET_ARN (JSON with "username" and "password"). Nor is
  # QUARKUS_REDIS_PASSWORD: the code reads the token from the secret named by
  # PRECONF_REDIS_PASSWORD_SECRET_ARN when it starts; the secret version's id changes when the
  # token is replaced, which publishes new versions (new snapshots) that read the new one.
  lambda_common_env = {
    (local.env.migrate_at_start)   = "false"
    (local.env.redis_hosts)        = local.redis_url
    (local.env.redis_secret)       = aws_secretsmanager_secret.redis_auth.arn
    (local.env.redis_secret_stamp) = aws_secretsmanager_secret_version.redis_auth.version_id
    (local.env.db_reactive_url)    = local.db_reactive_url
    (local.env.db_reactive_ssl)    = "require"
    (local.env.db_jdbc_url)        = local.db_jdbc_url
    (local.env.db_username)        = var.db_master_username
    (local.env.db_password_secret) = local.db_secret_arn
    (local.env.db_credentials)     = "preconf-datasource-secret"
    (local.env.db_cache_prepared)  = tostring(var.db_cache_prepared_statements)
    (local.env.rollups)            = jsonencode(var.rollups)
  }

  # Only functions whose entry says `signs = true` learn where the keys are. Bumping
  # signer_key_generation changes their configuration, which publishes a new version and so
  # a new SnapStart snapshot that reads the rotated keys.
  signer_env = {
    (local.env.signer_private_key_secret) = aws_secretsmanager_secret.signer_private_key.arn
    (local.env.signer_pq_seed_secret)     = aws_secretsmanager_secret.signer_pq_seed.arn
    (local.env.signer_key_generation)     = tostring(var.signer_key_generation)
  }

  # The others get the public identity, to check commitments and to answer `info`.
  verifier_env = merge(
    var.signer_address == "" ? {} : { (local.env.signer_address) = lower(var.signer_address) },
    var.signer_pq_public_key == "" ? {} : { (local.env.signer_pq_public_key) = aws_secretsmanager_secret.signer_pq_public_key.arn },
  )

  lambda_env = {
    for name, f in local.functions : name => merge(
      local.lambda_common_env,
      f.signs ? local.signer_env : local.verifier_env,
      { (local.env.funqy_export) = name },
      # API Gateway has authenticated every caller of a non-public route (AWS_IAM): the lane
      # function shows them the signed transactions without an API key.
      f.public ? {} : { PRECONF_BUILDERS_TRUST_EVERY_CALLER = "true" },
      var.lambda_extra_env,
    )
  }

  # The migrate Lambda exports a cheap read-only function: what matters is that Quarkus
  # starts, and Flyway runs at start.
  migrate_env = merge(
    local.lambda_common_env,
    local.verifier_env,
    {
      (local.env.funqy_export)     = var.migrate_export
      (local.env.migrate_at_start) = "true"
    },
    var.lambda_extra_env,
  )

  # The feed reads PostgreSQL for history the Redis log no longer holds, and counts connections
  # per client address, which behind the load balancer is the X-Forwarded-For header.
  feed_env = merge(
    {
      (local.env.redis_hosts)            = local.redis_url
      (local.env.rollups)                = jsonencode(var.rollups)
      (local.env.db_reactive_url)        = local.db_reactive_url
      (local.env.db_reactive_ssl)        = "require"
      (local.env.db_jdbc_url)            = local.db_jdbc_url
      (local.env.db_username)            = var.db_master_username
      (local.env.db_cache_prepared)      = tostring(var.db_cache_prepared_statements)
      (local.env.migrate_at_start)       = "false"
      PRECONF_FEED_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
      # The feed's process also hands each rollup's promised transactions to its node (the
      # rollups' rpcUrl); one task holds each lane, the others stand by.
      PRECONF_DELIVERY_ENABLED = tostring(var.delivery_enabled)
    },
    var.feed_extra_env,
  )

  # Secrets injected by ECS into the feed container's environment at start.
  # ECS reads the password key of the RDS-managed secret when a task starts; after a rotation,
  # new tasks pick up the new password (the service's deployment replaces tasks).
  feed_secrets = {
    (local.env.redis_password)  = aws_secretsmanager_secret.redis_auth.arn
    QUARKUS_DATASOURCE_PASSWORD = "${local.db_secret_arn}:password::"
  }
}
