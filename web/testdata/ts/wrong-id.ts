// The saved event's associateId is a number, not a string.
// want: wrong-id.ts(5,9): error TS2322: Type 'number' is not assignable to type 'string'.
import "../../static/socred-element.js";
document.querySelector("socred-credentials")!.addEventListener("socred-saved", (e) => {
  const id: string = e.detail.associateId;
  console.info(id);
});
