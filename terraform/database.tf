# PostgreSQL: Aurora Serverless v2 behind RDS Proxy. RDS creates and rotates the master
# password in Secrets Manager (manage_master_user_password), so no password is generated
# here. The proxy signs in to Aurora with that secret; clients sign in to the proxy with the
# same user name and the current password from the same secret, over TLS only.

resource "aws_db_subnet_group" "aurora" {
  name       = "${var.name}-aurora"
  subnet_ids = aws_subnet.private[*].id
}

# Created here so its retention is ours; Aurora would otherwise create it to keep forever.
resource "aws_cloudwatch_log_group" "aurora" {
  name              = "/aws/rds/cluster/${var.name}-pg/postgresql"
  retention_in_days = var.log_retention_days
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "${var.name}-pg"
  engine             = "aurora-postgresql"
  engine_mode        = "provisioned"
  engine_version     = var.db_engine_version
  database_name      = var.db_name

  master_username               = var.db_master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = local.secrets_kms_key_arn

  serverlessv2_scaling_configuration {
    min_capacity = var.db_min_capacity_acu
    max_capacity = var.db_max_capacity_acu
  }

  db_subnet_group_name   = aws_db_subnet_group.aurora.name
  vpc_security_group_ids = [aws_security_group.aurora.id]
  port                   = local.postgres_port

  storage_encrypted               = true
  backup_retention_period         = var.db_backup_retention_days
  copy_tags_to_snapshot           = true
  deletion_protection             = var.db_deletion_protection
  skip_final_snapshot             = var.db_skip_final_snapshot
  final_snapshot_identifier       = "${var.name}-pg-final"
  enabled_cloudwatch_logs_exports = ["postgresql"]
  apply_immediately               = var.apply_immediately

  depends_on = [aws_cloudwatch_log_group.aurora]

  lifecycle {
    precondition {
      condition     = var.db_min_capacity_acu <= var.db_max_capacity_acu
      error_message = "db_min_capacity_acu must not exceed db_max_capacity_acu."
    }
  }
}

# Instance 0 is the writer; any further instance is a reader in another AZ that Aurora
# promotes on failover.
resource "aws_rds_cluster_instance" "aurora" {
  count = var.db_instance_count

  identifier                 = "${var.name}-pg-${count.index}"
  cluster_identifier         = aws_rds_cluster.aurora.id
  engine                     = aws_rds_cluster.aurora.engine
  engine_version             = aws_rds_cluster.aurora.engine_version
  instance_class             = "db.serverless"
  db_subnet_group_name       = aws_db_subnet_group.aurora.name
  auto_minor_version_upgrade = false # upgrades go through var.db_engine_version, so state never drifts
  apply_immediately          = var.apply_immediately
}

locals {
  db_secret_arn = aws_rds_cluster.aurora.master_user_secret[0].secret_arn
}

# --- RDS Proxy ---

data "aws_iam_policy_document" "db_proxy_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "db_proxy" {
  name               = "${var.name}-db-proxy"
  assume_role_policy = data.aws_iam_policy_document.db_proxy_assume.json
}

data "aws_iam_policy_document" "db_proxy" {
  statement {
    sid       = "ReadDatabaseCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.db_secret_arn]
  }

  dynamic "statement" {
    for_each = var.create_kms_key ? [1] : []

    content {
      sid       = "DecryptDatabaseCredentials"
      actions   = ["kms:Decrypt"]
      resources = [local.secrets_kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "db_proxy" {
  name   = "read-database-credentials"
  role   = aws_iam_role.db_proxy.id
  policy = data.aws_iam_policy_document.db_proxy.json
}

resource "aws_db_proxy" "aurora" {
  name           = "${var.name}-pg"
  engine_family  = "POSTGRESQL"
  role_arn       = aws_iam_role.db_proxy.arn
  require_tls    = true
  vpc_subnet_ids = aws_subnet.private[*].id

  vpc_security_group_ids = [aws_security_group.db_proxy.id]
  idle_client_timeout    = var.db_proxy_idle_client_timeout_s

  auth {
    auth_scheme               = "SECRETS"
    secret_arn                = local.db_secret_arn
    iam_auth                  = "DISABLED"
    client_password_auth_type = "POSTGRES_SCRAM_SHA_256"
    description               = "Aurora master user, password managed and rotated by RDS"
  }

  depends_on = [aws_iam_role_policy.db_proxy]
}

resource "aws_db_proxy_default_target_group" "aurora" {
  db_proxy_name = aws_db_proxy.aurora.name

  connection_pool_config {
    max_connections_percent      = var.db_proxy_max_connections_percent
    max_idle_connections_percent = 50
    connection_borrow_timeout    = 30
  }
}

resource "aws_db_proxy_target" "aurora" {
  db_proxy_name         = aws_db_proxy.aurora.name
  target_group_name     = aws_db_proxy_default_target_group.aurora.name
  db_cluster_identifier = aws_rds_cluster.aurora.cluster_identifier
}
