# Who may talk to whom. Terraform strips the default allow-all egress rule from every group
# it creates, so each group below allows exactly the rules listed here:
#
#   internet  -> ALB 443            ALB  -> feed tasks 8080
#   Lambdas   -> Redis 6379         feed -> Redis 6379, RDS Proxy 5432
#   Lambdas   -> RDS Proxy 5432     RDS Proxy -> Aurora 5432
#   Lambdas, feed -> 443 anywhere (AWS APIs through NAT or interface endpoints: Secrets
#   Manager, X-Ray, ECR, CloudWatch Logs; the feed also reaches rollup nodes served on 443)
#   feed -> rollup_node_ports anywhere (the rollups' JSON-RPC, for delivery)
#
# The migrate Lambda shares the Lambda group, so it reaches the proxy the same way.

resource "aws_security_group" "alb" {
  name        = "${var.name}-feed-alb"
  description = "Feed load balancer: WebSocket clients in, feed tasks out"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-feed-alb" }
}

resource "aws_security_group" "feed" {
  name        = "${var.name}-feed"
  description = "Feed tasks: load balancer in, Redis and AWS APIs out"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-feed" }
}

resource "aws_security_group" "lambda" {
  name        = "${var.name}-lambda"
  description = "Function Lambdas: Redis, RDS Proxy and AWS APIs out, nothing in"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-lambda" }
}

resource "aws_security_group" "redis" {
  name        = "${var.name}-redis"
  description = "Redis: Lambdas and feed tasks in"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-redis" }
}

resource "aws_security_group" "db_proxy" {
  name        = "${var.name}-db-proxy"
  description = "RDS Proxy: Lambdas in, Aurora out"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-db-proxy" }
}

resource "aws_security_group" "aurora" {
  name        = "${var.name}-aurora"
  description = "Aurora: RDS Proxy in"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-aurora" }
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface VPC endpoints: Lambdas and feed tasks in on 443"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-endpoints" }
}

# --- load balancer ---

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each = toset(var.feed_ingress_cidrs)

  security_group_id = aws_security_group.alb.id
  description       = "WebSocket clients over TLS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.key
}

resource "aws_vpc_security_group_egress_rule" "alb_to_feed" {
  security_group_id            = aws_security_group.alb.id
  description                  = "Forward to feed tasks"
  ip_protocol                  = "tcp"
  from_port                    = local.feed_port
  to_port                      = local.feed_port
  referenced_security_group_id = aws_security_group.feed.id
}

# --- feed tasks ---

resource "aws_vpc_security_group_ingress_rule" "feed_from_alb" {
  security_group_id            = aws_security_group.feed.id
  description                  = "Traffic and health checks from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = local.feed_port
  to_port                      = local.feed_port
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_egress_rule" "feed_to_redis" {
  security_group_id            = aws_security_group.feed.id
  description                  = "Feed log in Redis"
  ip_protocol                  = "tcp"
  from_port                    = local.redis_port
  to_port                      = local.redis_port
  referenced_security_group_id = aws_security_group.redis.id
}

resource "aws_vpc_security_group_egress_rule" "feed_to_rollup_nodes" {
  for_each          = toset([for p in var.rollup_node_ports : tostring(p)])
  security_group_id = aws_security_group.feed.id
  description       = "JSON-RPC of the rollups' nodes (delivery)"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "feed_to_aws_apis" {
  security_group_id = aws_security_group.feed.id
  description       = "ECR, CloudWatch Logs and Secrets Manager"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

# --- Lambdas ---

resource "aws_vpc_security_group_egress_rule" "lambda_to_redis" {
  security_group_id            = aws_security_group.lambda.id
  description                  = "Lanes, dedup and feed log in Redis"
  ip_protocol                  = "tcp"
  from_port                    = local.redis_port
  to_port                      = local.redis_port
  referenced_security_group_id = aws_security_group.redis.id
}

resource "aws_vpc_security_group_egress_rule" "lambda_to_db_proxy" {
  security_group_id            = aws_security_group.lambda.id
  description                  = "PostgreSQL through RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = local.postgres_port
  to_port                      = local.postgres_port
  referenced_security_group_id = aws_security_group.db_proxy.id
}

resource "aws_vpc_security_group_egress_rule" "lambda_to_aws_apis" {
  security_group_id = aws_security_group.lambda.id
  description       = "Secrets Manager and X-Ray"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

# --- Redis ---

resource "aws_vpc_security_group_ingress_rule" "redis_from_lambda" {
  security_group_id            = aws_security_group.redis.id
  description                  = "Function Lambdas"
  ip_protocol                  = "tcp"
  from_port                    = local.redis_port
  to_port                      = local.redis_port
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_feed" {
  security_group_id            = aws_security_group.redis.id
  description                  = "Feed tasks"
  ip_protocol                  = "tcp"
  from_port                    = local.redis_port
  to_port                      = local.redis_port
  referenced_security_group_id = aws_security_group.feed.id
}

# --- RDS Proxy and Aurora ---

resource "aws_vpc_security_group_egress_rule" "feed_to_db_proxy" {
  security_group_id            = aws_security_group.feed.id
  description                  = "PostgreSQL through RDS Proxy: history the Redis log no longer holds"
  ip_protocol                  = "tcp"
  from_port                    = local.postgres_port
  to_port                      = local.postgres_port
  referenced_security_group_id = aws_security_group.db_proxy.id
}

resource "aws_vpc_security_group_ingress_rule" "db_proxy_from_feed" {
  security_group_id            = aws_security_group.db_proxy.id
  description                  = "Feed tasks"
  ip_protocol                  = "tcp"
  from_port                    = local.postgres_port
  to_port                      = local.postgres_port
  referenced_security_group_id = aws_security_group.feed.id
}

resource "aws_vpc_security_group_ingress_rule" "db_proxy_from_lambda" {
  security_group_id            = aws_security_group.db_proxy.id
  description                  = "Function Lambdas and the migrate Lambda"
  ip_protocol                  = "tcp"
  from_port                    = local.postgres_port
  to_port                      = local.postgres_port
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_vpc_security_group_egress_rule" "db_proxy_to_aurora" {
  security_group_id            = aws_security_group.db_proxy.id
  description                  = "Pooled connections to Aurora"
  ip_protocol                  = "tcp"
  from_port                    = local.postgres_port
  to_port                      = local.postgres_port
  referenced_security_group_id = aws_security_group.aurora.id
}

resource "aws_vpc_security_group_ingress_rule" "aurora_from_db_proxy" {
  security_group_id            = aws_security_group.aurora.id
  description                  = "RDS Proxy only"
  ip_protocol                  = "tcp"
  from_port                    = local.postgres_port
  to_port                      = local.postgres_port
  referenced_security_group_id = aws_security_group.db_proxy.id
}

# --- interface endpoints ---

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_lambda" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "Function Lambdas"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_feed" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "Feed tasks"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.feed.id
}
