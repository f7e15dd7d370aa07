// One comment per pull request, updated in place on every push: the comment is found by the
// hidden marker on the first line of its body (an HTML comment GitHub does not show), so a push
// never adds a second one. Called from actions/github-script in ci.yml; tested in
// test/workflows.test.ts with a fake GitHub client.
'use strict';

/**
 * Creates the pull request's comment that starts with `body`'s first line, or updates it.
 *
 * @param {{ github: any, context: any, body: string }} options the github-script client and
 *   context, and the comment text, whose first line is the marker, e.g. `<!-- core-infra:change-summary -->`
 * @returns {Promise<'created' | 'updated'>} what was done
 */
async function upsertStickyComment({ github, context, body }) {
  const marker = body.split('\n', 1)[0];
  if (!/^<!-- [\w:.-]+ -->$/.test(marker)) {
    throw new Error(`the comment must start with a hidden marker line such as <!-- core-infra:change-summary -->, not ${JSON.stringify(marker.slice(0, 80))}`);
  }
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number });
  // Only a comment of the workflow's own bot counts: anyone can paste the marker into theirs.
  const previous = comments.find((comment) => comment.user?.type === 'Bot' && comment.body?.split('\n', 1)[0] === marker);
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    return 'updated';
  }
  await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return 'created';
}

module.exports = { upsertStickyComment };
