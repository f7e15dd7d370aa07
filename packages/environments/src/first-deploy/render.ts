import type { FirstDeployPlan } from './first-deploy-plan';

/**
 * Renders a first-deployment plan for people: the warnings, then each step with who runs it, why
 * it comes there, its commands, what people do by hand and how to check it worked.
 *
 * @param plan the plan
 */
export function formatFirstDeployText(plan: FirstDeployPlan): string {
  const lines = [`core-deploy first-deploy: ${plan.environments.join(', ')}, in this order (dry run: nothing runs; run each step yourself)`, ''];
  if (plan.warnings.length > 0) {
    lines.push('Warnings (fix these before any step):');
    for (const warning of plan.warnings) lines.push(`  ! ${warning}`);
    lines.push('');
  }
  for (const step of plan.steps) {
    lines.push(`${step.order}. ${step.environment}: ${step.title}`, `   who: ${step.who}`, `   why: ${step.why}`);
    const block = (heading: string, items: readonly string[], mark: string) => {
      if (items.length === 0) return;
      lines.push(`   ${heading}:`, ...items.map((item) => `     ${mark} ${item}`));
    };
    block('run', step.commands, '$');
    block('by hand', step.manual, '-');
    block('check', step.check, '$');
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Renders a first-deployment plan as JSON, for tests and scripts.
 *
 * @param plan the plan
 */
export function formatFirstDeployJson(plan: FirstDeployPlan): string {
  return `${JSON.stringify(plan, undefined, 2)}\n`;
}
