import { Modal, type ModalProps } from 'antd';

/**
 * A modal holding a form. No zoom animation: selects measure their popup width when opened, and
 * opening one while the modal is still scaling in gives a sliver of a dropdown. A click on the mask
 * does not throw the input away.
 */
export function FormModal(props: ModalProps) {
  return <Modal open destroyOnHidden transitionName="" mask={{ closable: false }} {...props} />;
}
