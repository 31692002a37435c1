# The WebSocket feed: a long-running Quarkus server on ECS Fargate behind an Application
# Load Balancer. The ALB upgrades WebSocket connections natively; the idle timeout bounds
# how long a connection may stay silent, so it must exceed the feed's heartbeat interval.
# Only /feed is forwarded; health and metrics endpoints stay private to the VPC.

resource "aws_cloudwatch_log_group" "feed" {
  name              = "/ecs/${var.name}-feed"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_cluster" "feed" {
  name = "${var.name}-feed"

  setting {
    name  = "containerInsights"
    value = var.feed_container_insights ? "enabled" : "disabled"
  }
}

# --- roles ---

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Used by ECS itself to pull the image, write logs and inject the Redis token.
resource "aws_iam_role" "feed_execution" {
  name               = "${var.name}-feed-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "feed_execution" {
  role       = aws_iam_role.feed_execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "feed_execution" {
  statement {
    sid       = "InjectRedisTokenAndDatabasePassword"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.redis_auth.arn, local.db_secret_arn]
  }

  dynamic "statement" {
    for_each = var.create_kms_key ? [1] : []

    content {
      sid       = "DecryptRedisToken"
      actions   = ["kms:Decrypt"]
      resources = [local.secrets_kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:SecretARN"
        values   = [aws_secretsmanager_secret.redis_auth.arn, local.db_secret_arn]
      }
    }
  }
}

resource "aws_iam_role_policy" "feed_execution" {
  name   = "inject-redis-token"
  role   = aws_iam_role.feed_execution.id
  policy = data.aws_iam_policy_document.feed_execution.json
}

# The application itself calls no AWS API, so its task role holds no permissions.
resource "aws_iam_role" "feed_task" {
  name               = "${var.name}-feed-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

# --- task and service ---

resource "aws_ecs_task_definition" "feed" {
  family                   = "${var.name}-feed"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.feed_cpu
  memory                   = var.feed_memory_mb
  execution_role_arn       = aws_iam_role.feed_execution.arn
  task_role_arn            = aws_iam_role.feed_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.feed_cpu_architecture
  }

  container_definitions = jsonencode([
    {
      name      = "feed"
      image     = var.feed_image
      essential = true

      portMappings = [
        { containerPort = local.feed_port, protocol = "tcp" }
      ]

      environment = [for k in sort(keys(local.feed_env)) : { name = k, value = local.feed_env[k] }]
      secrets     = [for k in sort(keys(local.feed_secrets)) : { name = k, valueFrom = local.feed_secrets[k] }]

      # Time for the server to send close frames to its subscribers on SIGTERM; they
      # reconnect to another task with `from` and lose nothing.
      stopTimeout = 30

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.feed.name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = "feed"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "feed" {
  name            = "${var.name}-feed"
  cluster         = aws_ecs_cluster.feed.id
  task_definition = aws_ecs_task_definition.feed.arn
  launch_type     = "FARGATE"
  desired_count   = var.feed_min_tasks

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 60

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.feed.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.feed.arn
    container_name   = "feed"
    container_port   = local.feed_port
  }

  # Autoscaling owns the task count once the service exists.
  lifecycle {
    ignore_changes = [desired_count]

    precondition {
      condition     = var.feed_min_tasks <= var.feed_max_tasks
      error_message = "feed_min_tasks must not exceed feed_max_tasks."
    }
  }

  depends_on = [aws_lb_listener_rule.feed]
}

# --- load balancer ---

resource "aws_lb" "feed" {
  name               = "${var.name}-feed"
  load_balancer_type = "application"
  internal           = false
  subnets            = aws_subnet.public[*].id
  security_groups    = [aws_security_group.alb.id]

  idle_timeout               = var.feed_idle_timeout_s
  drop_invalid_header_fields = true
  enable_deletion_protection = var.feed_alb_deletion_protection
}

resource "aws_lb_target_group" "feed" {
  name        = "${var.name}-feed"
  target_type = "ip"
  vpc_id      = aws_vpc.this.id
  protocol    = "HTTP"
  port        = local.feed_port

  # Connections to a draining task are not cut before this delay; subscribers still on it
  # afterwards are closed and reconnect elsewhere.
  deregistration_delay = var.feed_deregistration_delay_s

  health_check {
    path                = local.feed_health_path
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "feed_https" {
  load_balancer_arn = aws_lb.feed.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.feed_ssl_policy
  certificate_arn   = var.feed_certificate_arn

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "application/json"
      status_code  = "404"
      message_body = jsonencode({ message = "Not found: the feed is at ${local.feed_path}" })
    }
  }
}

resource "aws_lb_listener_rule" "feed" {
  listener_arn = aws_lb_listener.feed_https.arn
  priority     = 10

  condition {
    path_pattern {
      values = [local.feed_path, "${local.feed_path}/*"]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.feed.arn
  }
}

# --- autoscaling on open WebSocket connections per task ---
#
# ALBRequestCountPerTarget does not fit: a WebSocket is one request (the upgrade) however
# long it lives, so a task holding thousands of idle subscribers would look unloaded. The
# policy below tracks open connections per healthy task instead, with metric math:
# ActiveConnectionCount counts client->ALB and ALB->target connections alike, so it is
# halved, then divided by the target group's HealthyHostCount. Scale-in drains a task
# (its subscribers reconnect elsewhere), so it waits longer than scale-out.

resource "aws_appautoscaling_target" "feed" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.feed.name}/${aws_ecs_service.feed.name}"
  min_capacity       = var.feed_min_tasks
  max_capacity       = var.feed_max_tasks
}

resource "aws_appautoscaling_policy" "feed_connections" {
  name               = "${var.name}-feed-connections-per-task"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.feed.service_namespace
  scalable_dimension = aws_appautoscaling_target.feed.scalable_dimension
  resource_id        = aws_appautoscaling_target.feed.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.feed_target_connections_per_task
    scale_out_cooldown = 60
    scale_in_cooldown  = 600

    customized_metric_specification {
      metrics {
        id          = "connections"
        return_data = false

        metric_stat {
          stat = "Sum"

          metric {
            namespace   = "AWS/ApplicationELB"
            metric_name = "ActiveConnectionCount"

            dimensions {
              name  = "LoadBalancer"
              value = aws_lb.feed.arn_suffix
            }
          }
        }
      }

      metrics {
        id          = "tasks"
        return_data = false

        metric_stat {
          stat = "Average"

          metric {
            namespace   = "AWS/ApplicationELB"
            metric_name = "HealthyHostCount"

            dimensions {
              name  = "LoadBalancer"
              value = aws_lb.feed.arn_suffix
            }

            dimensions {
              name  = "TargetGroup"
              value = aws_lb_target_group.feed.arn_suffix
            }
          }
        }
      }

      metrics {
        id          = "per_task"
        label       = "Open WebSocket connections per healthy task"
        expression  = "connections / 2 / tasks"
        return_data = true
      }
    }
  }
}
