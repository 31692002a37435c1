# The engine's functions: one Lambda per exported Funqy function, all built from the same
# function.zip. Keys must equal the functions the code exports (a test compares them).
#   memory  - MB, default (override per function with var.lambda_memory_mb)
#   timeout - seconds, default (override with var.lambda_timeout_s); API Gateway gives up
#             after 29 s, so routed functions stay under that
#   signs   - reads the signer keys; only these functions may read them
#   public  - routed without authentication; false means callers sign with SigV4 (AWS_IAM)
#   p99_ms  - p99 duration alarm threshold, default (override with var.lambda_p99_alarm_ms)
#   path_param - null for POST /<name>; a name for POST /<name>/{name}, the path value handed to
#             the function beside the base64 body (see api.tf)
locals {
  functions = {
    preconfirm = {
      memory     = 2048
      timeout    = 10
      signs      = true
      public     = true
      p99_ms     = 500
      path_param = null
    }
    validate = {
      memory     = 1536
      timeout    = 10
      signs      = false
      public     = true
      p99_ms     = 300
      path_param = null
    }
    status = {
      memory     = 1024
      timeout    = 5
      signs      = false
      public     = true
      p99_ms     = 200
      path_param = null
    }
    info = {
      memory     = 512
      timeout    = 5
      signs      = false
      public     = true
      p99_ms     = 200
      path_param = null
    }
    rpc = {
      memory     = 2048
      timeout    = 15
      signs      = true
      public     = true
      p99_ms     = 500
      path_param = "chainId"
    }
    reconcile = {
      memory     = 1024
      timeout    = 28
      signs      = false
      public     = false
      p99_ms     = 5000
      path_param = null
    }
    # The block builders' pull API. Behind IAM auth, so every caller that reaches it is a
    # builder granted execute-api:Invoke on POST /lane, and gets the signed transactions.
    lane = {
      memory     = 1024
      timeout    = 10
      signs      = false
      public     = false
      p99_ms     = 300
      path_param = null
    }
  }
}

locals {
  # Every Lambda role: the routed functions plus the migrate step (which never signs).
  lambda_roles = merge(
    { for name, f in local.functions : name => f.signs },
    { migrate = false },
  )

  function_zip_sha256 = filesha256(var.function_zip_path)
  function_zip_hash   = filebase64sha256(var.function_zip_path)
}

# --- the code: uploaded once, shared by every function ---

resource "aws_s3_bucket" "artifacts" {
  bucket_prefix = "${var.name}-artifacts-"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Lambda copies the code when a function is updated, so old archives are only kept for
# a while, for rollbacks.
resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    id     = "expire-old-archives"
    status = "Enabled"

    filter {}

    expiration {
      days = 90
    }
  }
}

resource "aws_s3_object" "function_zip" {
  bucket      = aws_s3_bucket.artifacts.id
  key         = "functions/${local.function_zip_sha256}.zip"
  source      = var.function_zip_path
  source_hash = local.function_zip_hash
}

# --- one role per function ---

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  for_each = local.lambda_roles

  name               = "${var.name}-${each.key}-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

# CloudWatch Logs and the network interfaces a Lambda in a VPC needs.
resource "aws_iam_role_policy_attachment" "lambda_vpc" {
  for_each = local.lambda_roles

  role       = aws_iam_role.lambda[each.key].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy_attachment" "lambda_xray" {
  for_each = var.xray_tracing ? local.lambda_roles : {}

  role       = aws_iam_role.lambda[each.key].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

data "aws_iam_policy_document" "lambda" {
  for_each = local.lambda_roles

  statement {
    sid       = "ReadDatabaseCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.db_secret_arn]
  }

  statement {
    sid       = "ReadRedisAuthToken"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.redis_auth.arn]
  }

  dynamic "statement" {
    for_each = each.value ? [] : [1]

    content {
      sid       = "ReadSignerPublicKey"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [aws_secretsmanager_secret.signer_pq_public_key.arn]
    }
  }

  dynamic "statement" {
    for_each = each.value ? [1] : []

    content {
      sid       = "ReadSignerKeys"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.signer_secret_arns
    }
  }

  dynamic "statement" {
    for_each = var.create_kms_key ? [1] : []

    content {
      sid       = "DecryptOwnSecretsOnly"
      actions   = ["kms:Decrypt"]
      resources = [local.secrets_kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:SecretARN"
        values = concat(
          [local.db_secret_arn, aws_secretsmanager_secret.redis_auth.arn],
          each.value ? local.signer_secret_arns : [aws_secretsmanager_secret.signer_pq_public_key.arn],
        )
      }
    }
  }
}

resource "aws_iam_role_policy" "lambda" {
  for_each = local.lambda_roles

  name   = "read-own-secrets"
  role   = aws_iam_role.lambda[each.key].id
  policy = data.aws_iam_policy_document.lambda[each.key].json
}

# --- the functions ---

resource "aws_cloudwatch_log_group" "lambda" {
  for_each = local.lambda_roles

  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "api" {
  for_each = local.functions

  function_name = "${var.name}-${each.key}"
  description   = "Preconfirmation engine: ${each.key}"
  role          = aws_iam_role.lambda[each.key].arn

  s3_bucket        = aws_s3_object.function_zip.bucket
  s3_key           = aws_s3_object.function_zip.key
  source_code_hash = local.function_zip_hash
  runtime          = var.lambda_runtime
  handler          = var.lambda_handler
  architectures    = [var.lambda_architecture]
  memory_size      = lookup(var.lambda_memory_mb, each.key, each.value.memory)
  timeout          = lookup(var.lambda_timeout_s, each.key, each.value.timeout)

  # Encrypts the environment (it holds the Redis token) and the SnapStart snapshot (the
  # signer's holds its keys in memory) with the stack's key, when there is one.
  kms_key_arn = local.secrets_kms_key_arn

  # SnapStart restores published versions from a snapshot taken after Quarkus started,
  # which is what keeps Java cold starts short. The alias below points at the version.
  publish = true

  snap_start {
    apply_on = "PublishedVersions"
  }

  environment {
    variables = local.lambda_env[each.key]
  }

  vpc_config {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.lambda.id]
  }

  tracing_config {
    mode = var.xray_tracing ? "Active" : "PassThrough"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.lambda[each.key].name
  }

  lifecycle {
    precondition {
      condition     = alltrue([for name in concat(keys(var.lambda_memory_mb), keys(var.lambda_timeout_s), keys(var.lambda_p99_alarm_ms)) : contains(keys(local.functions), name)])
      error_message = "lambda_memory_mb, lambda_timeout_s and lambda_p99_alarm_ms may only name functions in local.functions: ${join(", ", keys(local.functions))}."
    }

    precondition {
      condition     = sum([for k, v in local.lambda_env[each.key] : length(k) + length(v)]) <= 4096
      error_message = "The environment of ${each.key} exceeds Lambda's 4 KB limit; shorten var.rollups or var.lambda_extra_env."
    }
  }

  depends_on = [
    aws_iam_role_policy_attachment.lambda_vpc,
    aws_iam_role_policy.lambda,
  ]
}

# API Gateway invokes the alias, never $LATEST. The alias moves to a new version only
# after the migrate step succeeded, so new code never meets an old schema.
resource "aws_lambda_alias" "live" {
  for_each = local.functions

  name             = "live"
  description      = "Version served through the API"
  function_name    = aws_lambda_function.api[each.key].function_name
  function_version = aws_lambda_function.api[each.key].version

  depends_on = [aws_lambda_invocation.migrate]
}
