import { Match, Template } from 'aws-cdk-lib/assertions';
import { createTestStack, expectToPassPolicies } from '@core-infra/testing';
import { AlertTopic } from '../../src/monitoring/alert-topic';
import { MonthlyBudget } from '../../src/monitoring/monthly-budget';

describe('MonthlyBudget', () => {
  describe('GIVEN a limit of 775 USD and an alert topic', () => {
    let template: Template;
    let budget: MonthlyBudget;

    beforeAll(() => {
      const stack = createTestStack();
      const alerts = new AlertTopic(stack, 'Alerts');
      budget = new MonthlyBudget(stack, 'Budget', { limitUsd: 775, topic: alerts.topic, budgetName: 'core-prod-account-monthly-budget' });
      template = Template.fromStack(stack);
    });

    test('THEN a monthly COST budget in USD is created', () => {
      template.hasResourceProperties('AWS::Budgets::Budget', {
        Budget: {
          BudgetName: 'core-prod-account-monthly-budget',
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: { Amount: 775, Unit: 'USD' },
        },
      });
      expect(budget.limitUsd).toBe(775);
    });

    test('THEN FORECASTED and ACTUAL above 100 % notify the topic', () => {
      const subscriber = { SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('AlertsTopic') } };
      template.hasResourceProperties('AWS::Budgets::Budget', {
        NotificationsWithSubscribers: [
          {
            Notification: { NotificationType: 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: 100, ThresholdType: 'PERCENTAGE' },
            Subscribers: [subscriber],
          },
          {
            Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: 100, ThresholdType: 'PERCENTAGE' },
            Subscribers: [subscriber],
          },
        ],
      });
      expect(budget.thresholdPercent).toBe(100);
    });
  });

  describe('GIVEN wrong props', () => {
    test('fails when the limit is not positive', () => {
      const stack = createTestStack();
      const alerts = new AlertTopic(stack, 'Alerts');
      expect(() => new MonthlyBudget(stack, 'Budget', { limitUsd: 0, topic: alerts.topic })).toThrow(/limitUsd must be a positive number of US dollars, got 0/);
    });

    test('fails when the threshold is not a usable percentage', () => {
      const stack = createTestStack();
      const alerts = new AlertTopic(stack, 'Alerts');
      expect(() => new MonthlyBudget(stack, 'Budget', { limitUsd: 50, topic: alerts.topic, thresholdPercent: -5 })).toThrow(/thresholdPercent must be above 0 and at most 1000, got -5/);
    });
  });

  test('passes the policy package with default props and no acknowledgements', () => {
    const stack = createTestStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    new MonthlyBudget(stack, 'Budget', { limitUsd: 50, topic: alerts.topic });
    expectToPassPolicies(stack);
  });
});
