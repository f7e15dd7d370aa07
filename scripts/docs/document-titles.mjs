// TypeDoc plugin: a project document without a `title` in its front matter is named after its
// path (e.g. "packages/constructs/docs/deployment-state-store"). Name it after its first
// top-level heading instead, so package docs that GitHub also renders need no front matter.
import { Application } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_PROJECT_REVIVE, (project) => {
    for (const document of project.documents ?? []) {
      if (typeof document.frontmatter?.title === 'string') continue;
      const text = document.content.map((part) => part.text).join('');
      const heading = /^# +(.+?)\s*$/m.exec(text);
      if (heading) document.name = heading[1];
    }
  });
}
