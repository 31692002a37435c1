# --- general ---

variable "name" {
  description = "Prefix of every resource name, for example \"preconf-prod\". Lowercase letters, digits and hyphens."
  type        = string
  default     = "preconf"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 20 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it prefixes names limited to 32 characters)."
  }
}

variable "aws_region" {
  description = "AWS region to deploy into, for example \"eu-west-1\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like \"eu-west-1\"."
  }
}

variable "tags" {
  description = "Tags added to every resource, beside Project and ManagedBy."
  type        = map(string)
  default     = {}
}

variable "apply_immediately" {
  description = "Apply Redis and Aurora changes at once instead of in the next maintenance window."
  type        = bool
  default     = false
}

# --- network ---

variable "vpc_cidr" {
  description = "CIDR block of the VPC. Public and private subnets are carved from it (16 blocks, one public and one private per AZ)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24, false)
    error_message = "vpc_cidr must be a valid IPv4 CIDR block with a prefix length from /16 to /24."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets, Redis, Aurora and the feed across."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3 && floor(var.az_count) == var.az_count
    error_message = "az_count must be 2 or 3 (RDS Proxy and the ALB need at least two AZs)."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper). false puts one in every AZ, so egress survives the loss of an AZ."
  type        = bool
  default     = true
}

variable "vpc_interface_endpoints" {
  description = "AWS services to reach through interface VPC endpoints instead of NAT, for example [\"secretsmanager\", \"logs\", \"ecr.api\", \"ecr.dkr\"]."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.vpc_interface_endpoints : can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)*$", s))])
    error_message = "vpc_interface_endpoints must hold service short names such as \"secretsmanager\" or \"ecr.dkr\"."
  }
}

# --- functions ---

variable "function_zip_path" {
  description = "Path of the functions archive built by `mvn package` (relative to where terraform runs)."
  type        = string
  default     = "../functions/target/function.zip"
}

variable "lambda_runtime" {
  description = "Lambda Java runtime. SnapStart supports both."
  type        = string
  default     = "java21"

  validation {
    condition     = contains(["java17", "java21"], var.lambda_runtime)
    error_message = "lambda_runtime must be java17 or java21."
  }
}

variable "lambda_handler" {
  description = "Lambda handler of every function; Funqy picks the function from QUARKUS_FUNQY_EXPORT."
  type        = string
  default     = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest"
}

variable "lambda_architecture" {
  description = "Instruction set of the Lambdas. arm64 costs less; any native library in the archive must exist for it."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.lambda_architecture)
    error_message = "lambda_architecture must be x86_64 or arm64."
  }
}

variable "lambda_memory_mb" {
  description = "Memory per function in MB, overriding the defaults in local.functions, for example { preconfirm = 3008 }. Lambda gives CPU in proportion to memory."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for m in values(var.lambda_memory_mb) : m >= 128 && m <= 10240 && floor(m) == m])
    error_message = "Every lambda_memory_mb value must be a whole number from 128 to 10240."
  }
}

variable "lambda_timeout_s" {
  description = "Timeout per function in seconds, overriding the defaults in local.functions. API Gateway stops waiting after 29 s."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for t in values(var.lambda_timeout_s) : t >= 1 && t <= 900 && floor(t) == t])
    error_message = "Every lambda_timeout_s value must be a whole number from 1 to 900."
  }
}

variable "lambda_extra_env" {
  description = "Extra environment variables for every Lambda (for example JAVA_TOOL_OPTIONS or QUARKUS_LOG_LEVEL). Lambda caps the whole environment at 4 KB."
  type        = map(string)
  default     = {}
}

variable "xray_tracing" {
  description = "Trace Lambdas and the API stage with AWS X-Ray."
  type        = bool
  default     = false
}

variable "migrate_export" {
  description = "Function the migrate Lambda exports. Any function that starts Quarkus will do; it should be read-only."
  type        = string
  default     = "info"
}

variable "migrate_memory_mb" {
  description = "Memory of the migrate Lambda in MB."
  type        = number
  default     = 1024

  validation {
    condition     = var.migrate_memory_mb >= 128 && var.migrate_memory_mb <= 10240
    error_message = "migrate_memory_mb must be from 128 to 10240."
  }
}

variable "migrate_timeout_s" {
  description = "Timeout of the migrate Lambda in seconds: the longest a deployment's migrations may take."
  type        = number
  default     = 300

  validation {
    condition     = var.migrate_timeout_s >= 1 && var.migrate_timeout_s <= 900
    error_message = "migrate_timeout_s must be from 1 to 900."
  }
}

variable "rollups" {
  description = "Rollups the engine serves, passed to the code as JSON in PRECONF_ROLLUPS_JSON; see terraform.tfvars.example for the shape."
  type        = any

  validation {
    condition     = can(length(var.rollups)) && try(length(var.rollups) > 0, false)
    error_message = "rollups must be a non-empty list of rollup objects."
  }
}

# --- signer ---

variable "signer_address" {
  description = "Ethereum address of the signer (derived from the secp256k1 key), given to the functions that verify commitments. Empty until the key exists."
  type        = string
  default     = ""

  validation {
    condition     = var.signer_address == "" || can(regex("^0x[0-9a-fA-F]{40}$", var.signer_address))
    error_message = "signer_address must be empty or a 0x-prefixed 20-byte hex address."
  }
}

variable "signer_pq_public_key" {
  description = "ML-DSA-65 public key of the signer (1,952 bytes, 0x-prefixed hex). Stored in a secret that verifying functions read. Empty to leave post-quantum verification off."
  type        = string
  default     = ""

  validation {
    condition     = var.signer_pq_public_key == "" || (length(var.signer_pq_public_key) == 3906 && can(regex("^0x[0-9a-fA-F]+$", var.signer_pq_public_key)))
    error_message = "signer_pq_public_key must be empty or 0x followed by 3904 hex characters (1,952 bytes)."
  }
}

variable "signer_key_generation" {
  description = "Bump after putting new signer key values, so the signing functions publish a new version whose SnapStart snapshot reads the new keys."
  type        = number
  default     = 1

  validation {
    condition     = var.signer_key_generation >= 1 && floor(var.signer_key_generation) == var.signer_key_generation
    error_message = "signer_key_generation must be a whole number from 1."
  }
}

variable "signer_secrets_deny_other_readers" {
  description = "Attach a resource policy to the signer key secrets that denies GetSecretValue to every principal except the signing functions' roles."
  type        = bool
  default     = true
}

variable "create_kms_key" {
  description = "Encrypt the secrets (signer keys, Redis token, database credentials) and Redis with a customer managed KMS key instead of the AWS managed keys."
  type        = bool
  default     = true
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can be restored. 0 deletes at once (handy for throwaway stacks)."
  type        = number
  default     = 7

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or from 7 to 30."
  }
}

# --- API ---

variable "api_stage_name" {
  description = "Stage name of the API, the first path segment of every URL."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.api_stage_name))
    error_message = "api_stage_name may hold letters, digits, hyphens and underscores (1 to 64)."
  }
}

variable "api_throttling_rate_limit" {
  description = "Steady-state requests per second the API stage accepts, across all functions."
  type        = number
  default     = 1000

  validation {
    condition     = var.api_throttling_rate_limit > 0
    error_message = "api_throttling_rate_limit must be positive."
  }
}

variable "api_throttling_burst_limit" {
  description = "Burst of requests the API stage accepts above the rate limit."
  type        = number
  default     = 2000

  validation {
    condition     = var.api_throttling_burst_limit > 0 && floor(var.api_throttling_burst_limit) == var.api_throttling_burst_limit
    error_message = "api_throttling_burst_limit must be a positive whole number."
  }
}

variable "manage_api_gateway_account" {
  description = "Set the account-wide API Gateway CloudWatch role (needed for access logs). Turn off if another stack in this account and region manages it."
  type        = bool
  default     = true
}

variable "api_waf_web_acl_arn" {
  description = "ARN of your own WAFv2 web ACL (scope REGIONAL) to attach to the API stage instead of the one this configuration creates (with its per-address rate limit). null for ours."
  type        = string
  default     = null

  validation {
    condition     = var.api_waf_web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:", var.api_waf_web_acl_arn))
    error_message = "api_waf_web_acl_arn must be null or a WAFv2 web ACL ARN."
  }
}

variable "api_waf_rate_limit" {
  description = "Requests one client address may send to the API (all routes together) per api_waf_rate_window_s before WAF answers it 429 RATE_LIMITED. Unused when api_waf_web_acl_arn is set."
  type        = number
  default     = 12000

  validation {
    # WAF's own bounds for a rate-based rule's limit.
    condition     = var.api_waf_rate_limit >= 10 && var.api_waf_rate_limit <= 2000000000 && floor(var.api_waf_rate_limit) == var.api_waf_rate_limit
    error_message = "api_waf_rate_limit must be a whole number from 10 to 2000000000 (WAF's range)."
  }
}

variable "api_waf_rate_window_s" {
  description = "Seconds over which WAF counts a client address's requests for api_waf_rate_limit."
  type        = number
  default     = 60

  validation {
    condition     = contains([60, 120, 300, 600], var.api_waf_rate_window_s)
    error_message = "api_waf_rate_window_s must be 60, 120, 300 or 600 (the evaluation windows WAF offers)."
  }
}

# --- Redis ---

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.medium"

  validation {
    condition     = can(regex("^cache\\.", var.redis_node_type))
    error_message = "redis_node_type must be an ElastiCache node type such as cache.r7g.large."
  }
}

variable "redis_num_cache_clusters" {
  description = "Redis nodes: one primary plus replicas. Two or more turn on automatic failover across AZs."
  type        = number
  default     = 2

  validation {
    condition     = var.redis_num_cache_clusters >= 1 && var.redis_num_cache_clusters <= 6
    error_message = "redis_num_cache_clusters must be from 1 to 6."
  }
}

variable "redis_engine_version" {
  description = "Redis engine version (7.x)."
  type        = string
  default     = "7.1"

  validation {
    condition     = can(regex("^7\\.[0-9]+$", var.redis_engine_version))
    error_message = "redis_engine_version must be a Redis 7 version such as 7.1."
  }
}

variable "redis_auth_token_update_strategy" {
  description = "How a new auth token is applied: ROTATE keeps the old one valid too (no downtime), SET then drops the old one."
  type        = string
  default     = "ROTATE"

  validation {
    condition     = contains(["ROTATE", "SET"], var.redis_auth_token_update_strategy)
    error_message = "redis_auth_token_update_strategy must be ROTATE or SET."
  }
}

variable "redis_snapshot_retention_days" {
  description = "Days of daily Redis snapshots to keep (0 turns snapshots off)."
  type        = number
  default     = 1

  validation {
    condition     = var.redis_snapshot_retention_days >= 0 && var.redis_snapshot_retention_days <= 35
    error_message = "redis_snapshot_retention_days must be from 0 to 35."
  }
}

# --- PostgreSQL ---

variable "db_name" {
  description = "Database name."
  type        = string
  default     = "preconf"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must start with a letter and hold lowercase letters, digits and underscores."
  }
}

variable "db_master_username" {
  description = "Aurora master user name; its password is generated and rotated by RDS in Secrets Manager."
  type        = string
  default     = "preconf"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_master_username)) && !contains(["admin", "postgres", "rdsadmin"], var.db_master_username)
    error_message = "db_master_username must start with a letter, hold lowercase letters, digits and underscores, and not be a reserved name."
  }
}

variable "db_engine_version" {
  description = "Aurora PostgreSQL version (15.x or 16.x). Minor upgrades happen by changing it, not automatically."
  type        = string
  default     = "16.6"

  validation {
    condition     = can(regex("^1[56]\\.[0-9]+$", var.db_engine_version))
    error_message = "db_engine_version must be an Aurora PostgreSQL 15 or 16 version such as 16.6."
  }
}

variable "db_min_capacity_acu" {
  description = "Minimum Aurora Serverless v2 capacity in ACUs. RDS Proxy keeps connections open, so the cluster never pauses: 0.5 is the floor."
  type        = number
  default     = 0.5

  validation {
    condition     = var.db_min_capacity_acu >= 0.5 && var.db_min_capacity_acu <= 256 && floor(var.db_min_capacity_acu * 2) == var.db_min_capacity_acu * 2
    error_message = "db_min_capacity_acu must be from 0.5 to 256 in steps of 0.5."
  }
}

variable "db_max_capacity_acu" {
  description = "Maximum Aurora Serverless v2 capacity in ACUs."
  type        = number
  default     = 16

  validation {
    condition     = var.db_max_capacity_acu >= 1 && var.db_max_capacity_acu <= 256 && floor(var.db_max_capacity_acu * 2) == var.db_max_capacity_acu * 2
    error_message = "db_max_capacity_acu must be from 1 to 256 in steps of 0.5."
  }
}

variable "db_instance_count" {
  description = "Aurora instances: one writer plus readers that take over on failover."
  type        = number
  default     = 2

  validation {
    condition     = var.db_instance_count >= 1 && var.db_instance_count <= 15
    error_message = "db_instance_count must be from 1 to 15."
  }
}

variable "db_backup_retention_days" {
  description = "Days of Aurora point-in-time recovery."
  type        = number
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be from 1 to 35."
  }
}

variable "db_deletion_protection" {
  description = "Refuse to delete the Aurora cluster (turn off before destroying the stack)."
  type        = bool
  default     = true
}

variable "db_skip_final_snapshot" {
  description = "Skip the final snapshot when the cluster is deleted."
  type        = bool
  default     = false
}

variable "db_proxy_idle_client_timeout_s" {
  description = "Seconds an idle client connection to RDS Proxy stays open."
  type        = number
  default     = 1800

  validation {
    condition     = var.db_proxy_idle_client_timeout_s >= 1 && var.db_proxy_idle_client_timeout_s <= 28800
    error_message = "db_proxy_idle_client_timeout_s must be from 1 to 28800."
  }
}

variable "db_proxy_max_connections_percent" {
  description = "Share of Aurora's max_connections that RDS Proxy may open."
  type        = number
  default     = 90

  validation {
    condition     = var.db_proxy_max_connections_percent >= 1 && var.db_proxy_max_connections_percent <= 100
    error_message = "db_proxy_max_connections_percent must be from 1 to 100."
  }
}

variable "db_cache_prepared_statements" {
  description = <<-EOT
    Whether the functions and the feed keep their prepared statements on each database connection
    (the reactive pool's statement cache), so that PostgreSQL parses and plans the per-round record
    once per connection instead of on every round (infra/README.md, "Prepared statements"). Off
    behind RDS Proxy until the proxy is seen not to pin the sessions that hold them: a pinned
    client connection keeps its database connection for its whole life, and every warm Lambda
    keeps its pool's connections between invocations, so pinning would turn the proxy's sharing
    of database connections into one per Lambda connection. Turn it on and watch the proxy's
    DatabaseConnectionsCurrentlySessionPinned metric and its pinning log lines.
  EOT
  type        = bool
  default     = false
}

# --- feed ---

variable "feed_image" {
  description = "Container image URI of the WebSocket feed (the websocket module), for example an ECR URI with a tag or digest."
  type        = string

  validation {
    condition     = length(trimspace(var.feed_image)) > 0
    error_message = "feed_image must be an image URI."
  }
}

variable "feed_certificate_arn" {
  description = "ARN of the ACM certificate for the feed's HTTPS listener (it must cover feed_domain_name)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.feed_certificate_arn))
    error_message = "feed_certificate_arn must be an ACM certificate ARN."
  }
}

variable "feed_domain_name" {
  description = "DNS name clients use for the feed (point it at the ALB with an alias record). Empty uses the ALB's own name in outputs, which the certificate will not match."
  type        = string
  default     = ""
}

variable "feed_ingress_cidrs" {
  description = "IPv4 CIDR blocks allowed to connect to the feed."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.feed_ingress_cidrs) > 0 && alltrue([for c in var.feed_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "feed_ingress_cidrs must hold at least one valid IPv4 CIDR block."
  }
}

variable "feed_cpu" {
  description = "CPU units per feed task (1024 = 1 vCPU)."
  type        = number
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.feed_cpu)
    error_message = "feed_cpu must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "feed_memory_mb" {
  description = "Memory per feed task in MB; must be a valid Fargate pairing with feed_cpu."
  type        = number
  default     = 2048

  validation {
    condition     = var.feed_memory_mb >= 512 && var.feed_memory_mb <= 122880
    error_message = "feed_memory_mb must be from 512 to 122880."
  }
}

variable "feed_cpu_architecture" {
  description = "CPU architecture of the feed image."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.feed_cpu_architecture)
    error_message = "feed_cpu_architecture must be X86_64 or ARM64."
  }
}

variable "delivery_enabled" {
  description = "Whether the feed tasks hand promised transactions to the rollups' nodes (eth_sendRawTransaction, in lane order). Only rollups with an rpcUrl in `rollups` are delivered."
  type        = bool
  default     = true
}

variable "rollup_node_ports" {
  description = "TCP ports of the rollups' JSON-RPC endpoints (their rpcUrl) that the feed tasks may reach, besides 443, which they reach already."
  type        = list(number)
  default     = []

  validation {
    condition     = alltrue([for p in var.rollup_node_ports : p >= 1 && p <= 65535 && floor(p) == p])
    error_message = "rollup_node_ports must hold TCP ports from 1 to 65535."
  }
}

variable "feed_extra_env" {
  description = "Extra environment variables for the feed container."
  type        = map(string)
  default     = {}
}

variable "feed_min_tasks" {
  description = "Fewest feed tasks (also the count at creation). Two or more keep the feed up through a task or AZ loss."
  type        = number
  default     = 2

  validation {
    condition     = var.feed_min_tasks >= 1 && var.feed_min_tasks <= 100
    error_message = "feed_min_tasks must be from 1 to 100."
  }
}

variable "feed_max_tasks" {
  description = "Most feed tasks autoscaling may run."
  type        = number
  default     = 10

  validation {
    condition     = var.feed_max_tasks >= 1 && var.feed_max_tasks <= 100
    error_message = "feed_max_tasks must be from 1 to 100."
  }
}

variable "feed_target_connections_per_task" {
  description = "Open WebSocket connections per task that autoscaling aims for."
  type        = number
  default     = 5000

  validation {
    condition     = var.feed_target_connections_per_task > 0
    error_message = "feed_target_connections_per_task must be positive."
  }
}

variable "feed_idle_timeout_s" {
  description = "Seconds the ALB keeps a silent connection open. Must exceed the feed's heartbeat interval; long values suit long-lived subscribers."
  type        = number
  default     = 3600

  validation {
    condition     = var.feed_idle_timeout_s >= 1 && var.feed_idle_timeout_s <= 4000
    error_message = "feed_idle_timeout_s must be from 1 to 4000."
  }
}

variable "feed_deregistration_delay_s" {
  description = "Seconds a draining feed task keeps its connections before the ALB closes them (deployments and scale-in)."
  type        = number
  default     = 30

  validation {
    condition     = var.feed_deregistration_delay_s >= 0 && var.feed_deregistration_delay_s <= 3600
    error_message = "feed_deregistration_delay_s must be from 0 to 3600."
  }
}

variable "feed_ssl_policy" {
  description = "TLS policy of the feed's HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "feed_container_insights" {
  description = "Turn on ECS Container Insights for the feed cluster (extra CloudWatch cost)."
  type        = bool
  default     = false
}

variable "feed_alb_deletion_protection" {
  description = "Refuse to delete the feed load balancer."
  type        = bool
  default     = false
}

# --- logs and alarms ---

variable "log_retention_days" {
  description = "Retention of every log group (Lambdas, API access log, feed)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic notified when an alarm fires or recovers. null for no notifications."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be null or an SNS topic ARN."
  }
}

variable "lambda_error_alarm_threshold" {
  description = "Errors (thrown, not rejections) per minute of one function that count toward its alarm."
  type        = number
  default     = 1

  validation {
    condition     = var.lambda_error_alarm_threshold >= 1
    error_message = "lambda_error_alarm_threshold must be at least 1."
  }
}

variable "lambda_p99_alarm_ms" {
  description = "p99 duration alarm thresholds in ms, overriding the defaults in local.functions, for example { preconfirm = 250 }."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for t in values(var.lambda_p99_alarm_ms) : t > 0])
    error_message = "Every lambda_p99_alarm_ms value must be positive."
  }
}

variable "api_5xx_alarm_threshold" {
  description = "API 5xx responses per minute that count toward the API alarm."
  type        = number
  default     = 5

  validation {
    condition     = var.api_5xx_alarm_threshold >= 1
    error_message = "api_5xx_alarm_threshold must be at least 1."
  }
}

variable "backend_unavailable_alarm_threshold" {
  description = "BACKEND_UNAVAILABLE log lines per minute (all functions and the feed) that raise the alarm."
  type        = number
  default     = 1

  validation {
    condition     = var.backend_unavailable_alarm_threshold >= 1
    error_message = "backend_unavailable_alarm_threshold must be at least 1."
  }
}

variable "feed_5xx_alarm_threshold" {
  description = "5xx responses per minute from the feed's ALB and tasks that count toward the feed alarm."
  type        = number
  default     = 10

  validation {
    condition     = var.feed_5xx_alarm_threshold >= 1
    error_message = "feed_5xx_alarm_threshold must be at least 1."
  }
}
