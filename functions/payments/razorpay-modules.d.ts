/** The `razorpay` package's internal modules that functions/payments/razorpay-client.ts builds on (the package types only its class). */
declare module 'razorpay/dist/api.js' {
  export default class API {
    constructor(options: { hostUrl: string; ua: string; key_id?: string; key_secret?: string });
    rq: { defaults: { baseURL?: string } };
  }
}
declare module 'razorpay/dist/resources/paymentLink.js' {
  import type Razorpay from 'razorpay';
  const paymentLink: (api: unknown) => Razorpay['paymentLink'];
  export default paymentLink;
}
declare module 'razorpay/dist/resources/payments.js' {
  import type Razorpay from 'razorpay';
  const payments: (api: unknown) => Razorpay['payments'];
  export default payments;
}
