import { Modal, type ModalProps } from 'antd';

/**
 * A modal holding a form. No zoom animation: selects measure their popup width when opened, and
 * opening one while the modal is still scaling in gives a sliver of a dropdown. A click on the mask
 * does not throw the input away. An `onOk` that fails (fields not valid, a refused request — both
 * already shown) never becomes an uncaught error in the page.
 */
export function FormModal({
  onOk,
  ...props
}: Omit<ModalProps, 'onOk'> & { onOk?: (e: React.MouseEvent<HTMLButtonElement>) => unknown }) {
  return (
    <Modal
      open
      destroyOnHidden
      transitionName=""
      mask={{ closable: false }}
      {...props}
      onOk={(e) => {
        const result = onOk?.(e);
        if (result instanceof Promise) result.catch(() => undefined);
      }}
    />
  );
}
