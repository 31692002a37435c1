# Schema migrations run once per deployment, not in every Lambda. The migrate Lambda is the
# same function.zip with QUARKUS_FLYWAY_MIGRATE_AT_START=true: Flyway runs while Quarkus
# starts, before the first invocation is handled, and a failed migration fails the start.
# Terraform invokes it whenever the archive changes (and on first apply), and only then
# moves the API aliases to the new versions (see aws_lambda_alias.live).
#
# No SnapStart here: the snapshot would be taken after the migration ran, and a restored
# snapshot would skip the next one. It is not routed in the API.
#
# Lambda gives initialisation 10 s; a longer start is retried within the invocation under
# the function timeout (var.migrate_timeout_s), so long migrations still complete.

resource "aws_lambda_function" "migrate" {
  function_name = "${var.name}-migrate"
  description   = "Runs Flyway migrations at start; invoked by Terraform once per deployment"
  role          = aws_iam_role.lambda["migrate"].arn

  s3_bucket        = aws_s3_object.function_zip.bucket
  s3_key           = aws_s3_object.function_zip.key
  source_code_hash = local.function_zip_hash
  runtime          = var.lambda_runtime
  handler          = var.lambda_handler
  architectures    = [var.lambda_architecture]
  memory_size      = var.migrate_memory_mb
  timeout          = var.migrate_timeout_s
  kms_key_arn      = local.secrets_kms_key_arn

  environment {
    variables = local.migrate_env
  }

  vpc_config {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.lambda.id]
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.lambda["migrate"].name
  }

  depends_on = [
    aws_iam_role_policy_attachment.lambda_vpc,
    aws_iam_role_policy.lambda,
  ]
}

resource "aws_lambda_invocation" "migrate" {
  function_name = aws_lambda_function.migrate.function_name
  input         = jsonencode({})

  # A new archive (new migrations) or a new database means migrating again. Either also
  # changes the function's code or configuration, so the invocation meets a fresh start
  # (where Flyway runs), never a warm instance that already migrated.
  triggers = {
    archive = local.function_zip_hash
    cluster = aws_rds_cluster.aurora.cluster_resource_id
  }

  depends_on = [
    aws_rds_cluster_instance.aurora,
    aws_db_proxy_target.aurora,
  ]
}
