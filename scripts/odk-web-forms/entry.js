// The one entry point Demine's vendored ODK Web Forms bundle exposes (an ES module exporting mount):
// mount the OdkWebForm Vue component with a form's XML and a submit handler. Built into
// src/demine/web/static/vendor/odk-web-forms/ by scripts/vendor_odk_web_forms.sh.
import { createApp, h } from "vue";
import { OdkWebForm, POST_SUBMIT__NEW_INSTANCE, webFormsPlugin } from "@getodk/web-forms";

/**
 * Mount a form into `element`.
 * options.formXml: the XForm (string); options.fetchFormAttachment(url) -> Promise<Response>;
 * options.onSubmit(payload) -> Promise<boolean>: true when the host kept the submission
 * (sent or queued), which starts a new empty instance.
 */
export function mount(element, options) {
  const app = createApp({
    render() {
      return h(OdkWebForm, {
        formXml: options.formXml,
        fetchFormAttachment: options.fetchFormAttachment,
        onSubmit(payload, callback) {
          Promise.resolve(options.onSubmit(payload)).then(
            (kept) => callback(kept ? { next: POST_SUBMIT__NEW_INSTANCE } : {}),
            () => callback({}),
          );
        },
      });
    },
  });
  app.use(webFormsPlugin);
  app.mount(element);
  return app;
}
