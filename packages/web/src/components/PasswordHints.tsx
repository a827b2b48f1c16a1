import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import { checkPassword, DEFAULT_PASSWORD_POLICY, type MessageKey } from '@shuangyong/shared';
import { Flex, Typography } from 'antd';
import { t } from '../i18n';

/**
 * The client-side view of the password policy. The server's policy is a setting and may be
 * stricter; the server's answer is what counts.
 */
export const PASSWORD_POLICY = DEFAULT_PASSWORD_POLICY;

/** A form rule checking the policy, with the catalogue's own wording. */
export function passwordRule(username?: () => string | undefined) {
  return {
    validator: (_: unknown, value: string | undefined) => {
      if (!value) return Promise.resolve();
      const problems = checkPassword(value, PASSWORD_POLICY, username?.());
      return problems.length
        ? Promise.reject(new Error(problems.map((k) => t(k)).join(t('web.sentenceSeparator'))))
        : Promise.resolve();
    },
  };
}

/** Live checklist under a new-password field. */
export function PasswordHints({ password, username }: { password: string; username?: string }) {
  const problems = new Set<MessageKey>(checkPassword(password, PASSWORD_POLICY, username));
  const rules: { key: MessageKey; text: string }[] = [
    { key: 'password.tooShort', text: t('web.password.ruleLength', { n: PASSWORD_POLICY.minLength }) },
    { key: 'password.tooFewClasses', text: t('web.password.ruleClasses', { n: PASSWORD_POLICY.minClasses }) },
  ];
  if (username) rules.push({ key: 'password.containsUsername', text: t('web.password.ruleUsername') });
  return (
    <Flex vertical gap={2} style={{ marginTop: 4 }} data-testid="password-hints">
      {rules.map((r) => {
        const ok = password !== '' && !problems.has(r.key);
        return (
          <Typography.Text key={r.key} type={ok ? 'success' : 'secondary'} style={{ fontSize: 12 }}>
            {ok ? <CheckCircleFilled /> : <CloseCircleOutlined />} {r.text}
          </Typography.Text>
        );
      })}
    </Flex>
  );
}
