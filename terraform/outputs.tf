output "api_url" {
  description = "Base URL of the API stage; each function is POST <api_url>/<name>."
  value       = aws_api_gateway_stage.api.invoke_url
}

output "function_urls" {
  description = "POST URL of each function (rpc's ends in /{chainId}: a wallet's RPC URL is <api_url>/rpc/<chainId>)."
  value       = { for name, f in local.functions : name => "${aws_api_gateway_stage.api.invoke_url}/${name}${f.path_param == null ? "" : "/{${f.path_param}}"}" }
}

output "iam_authenticated_routes" {
  description = "execute-api ARNs of the routes that require SigV4 (public = false); grant execute-api:Invoke on these to their callers."
  value = {
    for name, f in local.functions : name => "${aws_api_gateway_stage.api.execution_arn}/POST/${name}" if !f.public
  }
}

output "function_aliases" {
  description = "ARN of the `live` alias of each function, and the version it points at."
  value = {
    for name, alias in aws_lambda_alias.live : name => {
      arn     = alias.arn
      version = alias.function_version
    }
  }
}

output "migrate_function_name" {
  description = "Name of the migrate Lambda (invoke it to re-run migrations by hand)."
  value       = aws_lambda_function.migrate.function_name
}

output "feed_url" {
  description = "WebSocket URL of the feed."
  value       = "wss://${var.feed_domain_name != "" ? var.feed_domain_name : aws_lb.feed.dns_name}${local.feed_path}"
}

output "feed_alb_dns_name" {
  description = "DNS name of the feed's load balancer, the target of the feed_domain_name record."
  value       = aws_lb.feed.dns_name
}

output "feed_alb_zone_id" {
  description = "Hosted zone of the feed's load balancer, for a Route 53 alias record."
  value       = aws_lb.feed.zone_id
}

output "signer_private_key_secret_arn" {
  description = "Secret to put the secp256k1 private key into (0x-prefixed hex)."
  value       = aws_secretsmanager_secret.signer_private_key.arn
}

output "signer_pq_seed_secret_arn" {
  description = "Secret to put the ML-DSA-65 seed into (0x-prefixed hex, 32 bytes)."
  value       = aws_secretsmanager_secret.signer_pq_seed.arn
}

output "signer_pq_public_key_secret_arn" {
  description = "Secret holding the ML-DSA-65 public key that verifying functions read."
  value       = aws_secretsmanager_secret.signer_pq_public_key.arn
}

output "redis_auth_secret_arn" {
  description = "Secret holding the Redis auth token."
  value       = aws_secretsmanager_secret.redis_auth.arn
}

output "db_secret_arn" {
  description = "Secret RDS manages for the Aurora master user (JSON with username and password)."
  value       = local.db_secret_arn
}

output "redis_endpoint" {
  description = "Redis primary endpoint (TLS and AUTH required)."
  value       = local.redis_url
}

output "redis_reader_endpoint" {
  description = "Redis reader endpoint (replicas)."
  value       = aws_elasticache_replication_group.redis.reader_endpoint_address
}

output "db_proxy_endpoint" {
  description = "RDS Proxy endpoint the functions connect to (TLS required)."
  value       = aws_db_proxy.aurora.endpoint
}

output "db_cluster_endpoint" {
  description = "Aurora writer endpoint, reachable only from the proxy."
  value       = aws_rds_cluster.aurora.endpoint
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Private subnets (Lambdas, feed tasks, Redis, Aurora)."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "Public subnets (feed load balancer, NAT)."
  value       = aws_subnet.public[*].id
}
