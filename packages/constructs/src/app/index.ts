export * from './fargate-service-alarms';
export * from './fargate-task-size';
export * from './rails-environment';
export * from './service-redeploy-schedule';
export * from './target-health-alarms';
export * from './web-application';
export * from './working-hours-scaling';
