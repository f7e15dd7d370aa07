// TypeDoc plugin for project documents without front matter, such as the package docs that GitHub
// also renders (packages/*/docs/*.md): TypeDoc would name them after their path and list them
// under "Documents". Name each one after its first top-level heading and list it under
// "Reference", beside the rule catalogue.
import { Application } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  // Runs before TypeDoc groups the merged project (its grouping listens at priority -100).
  app.on(Application.EVENT_PROJECT_REVIVE, (project) => {
    for (const document of project.documents ?? []) {
      if (typeof document.frontmatter.title !== 'string') {
        const text = document.content.map((part) => part.text).join('');
        const heading = /^# +(.+?)\s*$/m.exec(text);
        if (heading) document.name = heading[1];
      }
      document.frontmatter.group ??= 'Reference';
    }
  });
}
