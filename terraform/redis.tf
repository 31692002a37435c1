# Redis holds the lanes (sequence counters), dedup keys, the promise cache and the feed log.
# Cluster mode stays off: the engine's atomic multi-key steps assume one keyspace. With two
# or more nodes a replica in another AZ takes over automatically.

resource "aws_elasticache_subnet_group" "redis" {
  name       = "${var.name}-redis"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id = "${var.name}-redis"
  description          = "${var.name} lanes, dedup and feed log"

  engine               = "redis"
  engine_version       = var.redis_engine_version
  parameter_group_name = "default.redis7"
  node_type            = var.redis_node_type
  port                 = local.redis_port

  num_cache_clusters         = var.redis_num_cache_clusters
  automatic_failover_enabled = var.redis_num_cache_clusters > 1
  multi_az_enabled           = var.redis_num_cache_clusters > 1

  subnet_group_name  = aws_elasticache_subnet_group.redis.name
  security_group_ids = [aws_security_group.redis.id]

  at_rest_encryption_enabled = true
  kms_key_id                 = local.secrets_kms_key_arn
  transit_encryption_enabled = true
  auth_token                 = local.redis_auth_token
  auth_token_update_strategy = var.redis_auth_token_update_strategy

  snapshot_retention_limit   = var.redis_snapshot_retention_days
  auto_minor_version_upgrade = true
  apply_immediately          = var.apply_immediately
}
